"""The community manager's web workspace: inbox, search, dashboard, behind accounts with roles."""
