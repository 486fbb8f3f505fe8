from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.forms import ValidationError

from . import services
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


class ModeratorUserForm(forms.ModelForm):
    """What a moderator may change on an account: the name shown to others (an offensive one,
    say). Deactivation goes through the list's action."""

    class Meta:
        model = User
        fields = ("display_name",)


# The fields that say what an account may do, or let one take it over.
RIGHTS = {"is_staff", "is_superuser", "groups", "user_permissions", "password"}


def is_superuser(request) -> bool:
    return request.user.is_superuser


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Superusers manage every account, staff included. Moderators see ordinary accounts only,
    and of each only what moderation needs: never the rights (is_staff, is_superuser, groups,
    permissions), the password or the address, through which one could take an account over."""

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
    moderator_fieldsets = (
        (None, {"fields": ("email", "display_name")}),
        ("Compte", {"fields": ("is_active", "appears_anonymously", "date_joined", "last_login")}),
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
        queryset = super().get_queryset(request)
        if not is_superuser(request):
            # Staff accounts (their own included) are the superusers' business: a moderator
            # neither lists, nor opens, nor deactivates them.
            queryset = queryset.filter(is_staff=False, is_superuser=False)
        # One query for the whole page: the number of pledges is counted in the listing's SQL.
        return queryset.annotate(pledge_total=Count("pledges"))

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not is_superuser(request):
            return self.moderator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not is_superuser(request):
            return ("email", "is_active", "appears_anonymously", "date_joined", "last_login")
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and not is_superuser(request):
            kwargs["form"] = ModeratorUserForm
        return super().get_form(request, obj, **kwargs)

    def get_list_display(self, request):
        if is_superuser(request):
            return self.list_display
        return [field for field in self.list_display if field != "is_staff"]

    def get_list_filter(self, request):
        if is_superuser(request):
            return self.list_filter
        return [field for field in self.list_filter if field not in ("is_staff", "is_superuser")]

    def lookup_allowed(self, lookup, value, request) -> bool:
        # Nor by filters typed into the address: who has which rights is not theirs to search.
        if not is_superuser(request) and lookup.split("__")[0] in RIGHTS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request) -> bool:
        # Making an account with a password is not moderation (people sign up themselves).
        return is_superuser(request)

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password is taking their account over: superusers only (they may
        # do everything anyway). Everyone else gets 403, whatever their permissions.
        if not is_superuser(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description="promesses", ordering="pledge_total")
    def pledge_total(self, user: User) -> int:
        return user.pledge_total

    actions = ("deactivate",)

    @admin.action(description="Désactiver le compte (masque ses messages)", permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        for user in queryset.exclude(pk=request.user.pk):
            services.user_deactivate(user=user)
        self.message_user(request, "Compte(s) désactivé(s) : leurs messages sont masqués.")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting a person cascades to their pledges without moving the promises' counters;
        # moderators deactivate accounts instead (deletion will be a service, with GDPR).
        return False


# Django's group admin with a plain multiple select for permissions (see UserAdmin).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Groups carry permissions: only superusers manage them, whatever else one was granted."""

    filter_horizontal = ()

    def has_module_permission(self, request) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_superuser(request)

    def has_add_permission(self, request) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_superuser(request)
