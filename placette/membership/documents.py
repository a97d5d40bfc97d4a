"""The stored files of membership (see placette.lib.documents): a subscriber's bulletin,
certificate and IR-PME statement are owned by their contact (they read them from their space);
the frozen register files (scope "membership.register") are read by the team only — no reader
is registered for that scope."""

REGISTER_SCOPE = "membership.register"
