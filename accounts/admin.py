from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.models import Group
from django.db.models import Count
from django.forms import ValidationError

from .models import User


class UserCreationAdminForm(AdminUserCreationForm):
    """Django's admin creation form, for a model whose login is the email address."""

    class Meta:
        model = User
        fields = ("email", "display_name")
        field_classes: dict = {}

    def clean_email(self) -> str:
        # The column is unique as written; allauth matches addresses case-insensitively, so a
        # second account differing only in case could never log in.
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Un utilisateur avec cette adresse e-mail existe déjà.")
        return email


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """Django's widget, without the `disabled` attribute that the disabled field gives its
    <div> (invalid HTML: only form controls can be disabled)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget = PasswordSummaryWidget()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profil", {"fields": ("display_name", "appears_anonymously")}),
        (
            "Droits",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("date_joined", "last_login")
    # Plain multiple selects: SelectFilter2's widget puts an aria-label on a role-less <span>.
    filter_horizontal = ()
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined", "pledge_total")
    list_filter = ("is_staff", "is_superuser", "is_active", "appears_anonymously", "date_joined")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    date_hierarchy = "date_joined"

    def get_queryset(self, request):
        # One query for the whole page: the number of pledges is counted in the listing's SQL.
        return super().get_queryset(request).annotate(pledge_total=Count("pledges"))

    @admin.display(description="promesses", ordering="pledge_total")
    def pledge_total(self, user: User) -> int:
        return user.pledge_total

    actions = ("deactivate",)

    @admin.action(description="Désactiver le compte (masque ses messages)", permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        from discussions.services import user_deactivate

        for user in queryset.exclude(pk=request.user.pk):
            user_deactivate(user=user)
        self.message_user(request, "Compte(s) désactivé(s) : leurs messages sont masqués.")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting a person cascades to their pledges without moving the promises' counters;
        # moderators deactivate accounts instead (deletion will be a service, with GDPR).
        return False


# Django's group admin with a plain multiple select for permissions (see UserAdmin).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    filter_horizontal = ()
