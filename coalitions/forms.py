from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from coalitions.models import Cluster, Coalition, Organisation, Role
from coalitions.selectors import current_member_organisations
from coalitions.themes import SUGGESTED_CLUSTERS
from coalitions.validators import validate_logo
from reviews.models import Review, State, by_local_name
from upr_portal.validators import validate_no_control_characters

ONE_LINE = [validate_no_control_characters]


def _open_reviews(selected=()):
    """Upcoming reviews, and those already chosen even if past, so that saving keeps them."""
    chosen = Review.objects.filter(pk__in=[r.pk for r in selected])
    return (Review.objects.upcoming() | chosen).select_related("state", "session").in_date_order()


class NewOrganisationMixin(forms.Form):
    """Fields to describe an organisation that is not in the portal yet."""

    org_name = forms.CharField(label=_("Organisation name"), max_length=200, required=False, validators=ONE_LINE)
    org_acronym = forms.CharField(label=_("Organisation acronym"), max_length=30, required=False, validators=ONE_LINE)
    org_kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices, initial=Organisation.Kind.NGO)
    org_city = forms.CharField(label=_("City"), max_length=100, required=False, validators=ONE_LINE)
    # Sorted per form (``__init__``) by the name in the request's language.
    org_country = forms.ModelChoiceField(label=_("Country"), queryset=State.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_country"].queryset = State.objects.order_by(by_local_name())

    def clean_new_organisation(self, *, existing_field: str, existing_label: str):
        data = self.cleaned_data
        if data.get(existing_field):
            return
        if "org_name" in self.errors:
            return  # a name was given, and refused for a reason of its own
        if not data.get("org_name"):
            self.add_error(
                existing_field,
                _("Choose %(what)s, or give the name, city and country of a new organisation below.")
                % {"what": existing_label},
            )
            return
        for name in ("org_city", "org_country"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Give the city and country of the new organisation."))

    def new_organisation_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["org_name"],
            "acronym": data.get("org_acronym", ""),
            "kind": data["org_kind"],
            "city": data["org_city"],
            "country": data["org_country"],
        }


class LogoField(forms.ImageField):
    """Django's image field with the portal's checks first (size, format, pixels from the header):
    Pillow refuses an image of too many pixels as "not a valid image", which tells nobody what to do."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_logo(data)
        return super().to_python(data)


class CoalitionForm(forms.ModelForm):
    reviews = forms.ModelMultipleChoiceField(
        label=_("Reviews the coalition works on"),
        queryset=Review.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )

    class Meta:
        model = Coalition
        fields = ["name", "acronym", "description", "reviews", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"logo": LogoField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        selected = list(self.instance.reviews.all()) if self.instance.pk else []
        self.fields["reviews"].queryset = _open_reviews(selected)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class CoalitionCreateForm(NewOrganisationMixin, CoalitionForm):
    secretariat = forms.ModelChoiceField(
        label=_("Secretariat"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The organisation that coordinates the coalition; you join it as coordinator."),
    )

    class Meta(CoalitionForm.Meta):
        fields = ["name", "acronym", "description", "reviews", "logo"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from coalitions.selectors import organisations_for_user

        self.fields["secretariat"].queryset = organisations_for_user(user=user)
        self.helper.layout = Layout(
            Fieldset(_("The coalition"), "name", "acronym", "description", "reviews", "logo"),
            Fieldset(
                _("Its secretariat"),
                "secretariat",
                Div(
                    Field("org_name"),
                    Field("org_acronym"),
                    Field("org_kind"),
                    Field("org_city"),
                    Field("org_country"),
                    css_class="border rounded p-3 mb-3",
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_new_organisation(existing_field="secretariat", existing_label=_("your organisation"))
        return cleaned


class InvitationForm(NewOrganisationMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False, validators=ONE_LINE)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.DRAFTER)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The member organisation the person works for, or describe a new one below."),
    )
    message = forms.CharField(
        label=_("Personal message (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.coalition = coalition
        self.fields["organisation"].queryset = current_member_organisations(coalition=coalition)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Who"), "email", "full_name", "role"),
            Fieldset(
                _("For which organisation"),
                "organisation",
                Div(
                    "org_name",
                    "org_acronym",
                    "org_kind",
                    "org_city",
                    "org_country",
                    css_class="border rounded p-3 mb-3",
                ),
            ),
            "message",
        )
        self.helper.add_input(Submit("submit", _("Send the invitation")))

    def clean(self):
        cleaned = super().clean()
        self.clean_new_organisation(existing_field="organisation", existing_label=_("a member organisation"))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "lead_organisation", "organisations", "description"]
        widgets = {
            "organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "name": forms.TextInput(attrs={"list": "cluster-suggestions", "autocomplete": "off"}),
        }
        help_texts = {"name": _("Type a theme, or pick one of the suggestions as you type.")}

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.coalition = coalition
        members = current_member_organisations(coalition=coalition)
        self.fields["lead_organisation"].queryset = members
        self.fields["organisations"].queryset = members
        self.fields["organisations"].required = False
        self.suggestions = [str(s) for s in SUGGESTED_CLUSTERS]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the cluster")))


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, email or organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("Organisation kind"), choices=[("", _("Any kind")), *Organisation.Kind.choices], required=False
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.none(), required=False, empty_label=_("Any cluster")
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *Role.choices], required=False)

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(coalition=coalition).order_by("name")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.layout = Layout(
            Div("q", css_class="col-md-3"),
            Div("kind", css_class="col-md-3"),
            Div("cluster", css_class="col-md-3"),
            Div("role", css_class="col-md-2"),
            Div(Submit("filter", _("Filter"), css_class="mb-3"), css_class="col-md-1"),
        )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "city", "country", "website", "contact_email", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = State.objects.order_by(by_local_name())
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class AcceptInvitationForm(forms.Form):
    """For a person without an account yet: their name and a password."""

    full_name = forms.CharField(label=_("Your name"), max_length=200, validators=ONE_LINE)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("The same password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create my account and join")))

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            from accounts.models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CoalitionTwoFactorForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor sign-in of the coalition's members"),
        required=False,
        help_text=_(
            "Members then open the coalition's pages only after entering a code from an app on their phone "
            "as well as their password, so that a stolen or guessed password alone does not open your drafts. "
            "Whoever has not set it up yet, you included, is asked to do so the next time they open the "
            "coalition's pages; it takes a few minutes and an authenticator app."
        ),
    )
