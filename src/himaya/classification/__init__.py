"""Classification of observations by the rules engine (``himaya_rules``), for the platform."""
