import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    STAFF_ADMIN = "staff_admin", "Équipe — administration"
    STAFF = "staff", "Équipe salariée"
    MEMBER = "member", "Sociétaire"
    ACTIVITY = "activity", "Activité installée"


TEAM_ROLES = {Role.STAFF_ADMIN, Role.STAFF}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("role", Role.STAFF_ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Team members use a password (and TOTP), the others an email code."""

    email = models.EmailField("adresse e-mail", unique=True)
    display_name = models.CharField("nom affiché", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_board_member = models.BooleanField("membre du conseil d’administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    contact = models.OneToOneField(
        "contacts.Contact",
        verbose_name="fiche contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    # Empty: the site's language (French). See placette.lib.i18n.
    language = models.CharField(
        "langue", max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        self.is_superuser = self.role == Role.STAFF_ADMIN
        super().save(*args, **kwargs)
        self.sign_in_addresses_sync()

    def sign_in_addresses_sync(self) -> None:
        """One address, one account: the sign-in address is the account's e-mail and nothing else.

        allauth looks a code sign-in up by its EmailAddress rows too; a stray row (another
        account's address, or an old one) would let a code open the wrong account.
        """
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(email__iexact=self.email).exclude(user=self).delete()
        EmailAddress.objects.filter(user=self).exclude(email__iexact=self.email).delete()

    @property
    def is_team(self) -> bool:
        return self.is_active and self.role in TEAM_ROLES

    @property
    def is_staff(self) -> bool:
        # Django's admin is the team's back door; members never see it.
        return self.is_team

    @property
    def is_staff_admin(self) -> bool:
        return self.is_active and self.role == Role.STAFF_ADMIN

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER or self.is_board_member

    @property
    def is_activity_holder(self) -> bool:
        return self.role == Role.ACTIVITY

    @property
    def uses_password(self) -> bool:
        return self.is_team


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def authenticate(self, raw: str) -> "ApiToken | None":
        token = (
            self.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None or not token.user.is_team:
            return None
        return token


class ApiToken(models.Model):
    """A bearer token for a staff integration; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d’API"
        verbose_name_plural = "jetons d’API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        raw = "plc_" + secrets.token_urlsafe(32)
        return raw, raw[:8], _hash_token(raw)
