"""The review page: analysts check, correct and approve pre-filled scorecards."""
