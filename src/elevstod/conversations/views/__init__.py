"""The pages of the development talk (``talks``) and the development plan (``plans``)."""
