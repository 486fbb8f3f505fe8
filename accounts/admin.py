from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
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
from django.template.response import TemplateResponse

from onpromet.errors import Refusal

from . import deletion, services
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
        ("Dates", {"fields": ("date_joined", "last_login", "deleted_at")}),
    )
    moderator_fieldsets = (
        (None, {"fields": ("email", "display_name")}),
        (
            "Compte",
            {
                "fields": (
                    "is_active",
                    "appears_anonymously",
                    "date_joined",
                    "last_login",
                    "deleted_at",
                )
            },
        ),
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
    readonly_fields = ("date_joined", "last_login", "deleted_at")
    # Plain multiple selects: SelectFilter2's widget puts an aria-label on a role-less <span>.
    filter_horizontal = ()
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined", "pledge_total")
    list_filter = (
        "is_staff",
        "is_superuser",
        "is_active",
        "appears_anonymously",
        "date_joined",
        ("deleted_at", admin.EmptyFieldListFilter),
    )
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
            return (
                "email",
                "is_active",
                "appears_anonymously",
                "date_joined",
                "last_login",
                "deleted_at",
            )
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

    actions = ("deactivate", "delete_accounts")

    @admin.action(description="Désactiver le compte (masque ses messages)", permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        for user in queryset.exclude(pk=request.user.pk):
            services.user_deactivate(user=user)
        self.message_user(request, "Compte(s) désactivé(s) : leurs messages sont masqués.")

    @admin.action(description="Supprimer le compte (définitif)", permissions=["change"])
    def delete_accounts(self, request, queryset) -> TemplateResponse | None:
        """The RGPD deletion (accounts.deletion), the one the person makes on /moi/supprimer/,
        after a confirmation page. The queryset is already what this visitor may see (a
        moderator sees no staff account); account_delete_refusal says the rest (not one's
        own account, staff for superusers only)."""
        users = list(queryset.filter(deleted_at__isnull=True).order_by("pk"))
        refused = {
            user.pk: refusal
            for user in users
            if (refusal := deletion.account_delete_refusal(user=user, by=request.user))
        }
        allowed = [user for user in users if user.pk not in refused]
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Supprimer des comptes",
                "opts": self.model._meta,
                "allowed": allowed,
                "refused": [(user, refused[user.pk]) for user in users if user.pk in refused],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/accounts/user/delete_accounts.html", context)
        deleted = 0
        for user in allowed:
            try:
                tombstone = deletion.account_delete(user=user, by=request.user)
            except Refusal as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                continue
            self.log_change(request, tombstone, "Compte supprimé (RGPD).")
            deleted += 1
        if deleted:
            self.message_user(
                request,
                "1 compte supprimé." if deleted == 1 else f"{deleted} comptes supprimés.",
                messages.SUCCESS,
            )
        return None

    def has_change_permission(self, request, obj=None) -> bool:
        # A deleted account is a tombstone: it is read, never edited again.
        if obj is not None and obj.deleted_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting the row would cascade to the pledges without moving the promises' counters:
        # accounts are deleted by the action above, which leaves a tombstone.
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
