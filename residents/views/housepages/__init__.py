"""Staff pages for house life: each house's rules, chores, drug tests, meetings, sign-outs and passes; the
resident page's house-life sections; and the operator's phases and grievances pages."""
