"""Forms of the staff pages for house life, one module per page. They parse input (required, types, choices in
scope); every rule is checked by the service they hand it to, whose refusal is shown beside the field it names."""
