"""Two-factor sign-in (django-otp): an authenticator app's codes, with recovery codes for a lost phone.

policy.py says who needs it and whether a session has passed it; services.py and selectors.py enrol,
verify and turn it off; views.py holds the account pages and the second step of the sign-in;
middleware.py keeps a half-signed-in session at that step; admin_site.py asks it of site
administrators. Kept in one package of accounts, apart from its other pages, as the sub-domain it is.
"""
