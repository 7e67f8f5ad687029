"""Business-continuity grading (a proposal) as a maturity-core model pack."""
