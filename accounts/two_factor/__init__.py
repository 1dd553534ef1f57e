"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and single-use recovery codes.

Optional for everyone; an operator can require it of the organization's operators and managers, never of residents.
``services`` holds the rules, ``middleware`` keeps a session that has not passed its code (or a staff member who
must set it up) away from everything else, ``views`` are the account security page and the sign-in's second step.
"""
