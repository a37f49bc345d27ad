"""Starting points for a coalition's thematic clusters.

There is no common list of clusters: coalitions make their own. These suggestions follow the
themes of OHCHR's Universal Human Rights Index (UHRI) and the issues of UPR Info's former
recommendations database; a coordinator picks from them or types their own.
"""

from django.utils.translation import gettext_lazy as _

SUGGESTED_CLUSTERS = [
    _("Torture and other cruel, inhuman or degrading treatment"),
    _("Conditions of detention"),
    _("Trafficking in persons"),
    _("Rights of the child"),
    _("Women's rights and gender equality"),
    _("Violence against women"),
    _("Human rights defenders"),
    _("Freedom of expression and the media"),
    _("Freedom of association and peaceful assembly"),
    _("Right to health"),
    _("Right to education"),
    _("Right to an adequate standard of living and housing"),
    _("Migrants, refugees and asylum seekers"),
    _("Persons with disabilities"),
    _("Indigenous peoples"),
    _("Minorities"),
    _("Racial discrimination"),
    _("Sexual orientation and gender identity"),
    _("Death penalty"),
    _("Administration of justice and fair trial"),
    _("Business and human rights"),
    _("Environment and climate change"),
    _("Labour rights"),
    _("Older persons"),
    _("National human rights institution"),
    _("Ratification of international instruments"),
    _("Cooperation with treaty bodies and special procedures"),
]
