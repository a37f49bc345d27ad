from django.urls import path

from accounts.two_factor import views

urlpatterns = [
    path("login/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/start/", views.two_factor_setup_start, name="two_factor_setup_start"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes_regenerate, name="two_factor_recovery_codes"),
    path("two-factor/turn-off/", views.two_factor_turn_off, name="two_factor_turn_off"),
]
