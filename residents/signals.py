"""Signals residents sends, so higher apps can react without residents importing them.

``pass_returned``: sent by ``residents.program.services.signouts.pass_return`` once a resident's return from an
overnight pass is recorded, inside that transaction (a receiver's writes commit or roll back with the return; a receiver
with outside effects such as e-mail should defer them with ``transaction.on_commit``).
Arguments: ``sender`` is ``OvernightPass``; ``pass_`` the pass (``returned_at`` set); ``actor`` the Membership
who recorded it. The house setting "test residents returning from a pass" belongs to the drug-test module, which
applies it by connecting a receiver here (residents does not import it).

``incident_saved``: sent by ``residents.conduct.services.incidents.incident_record`` and ``incident_update`` once the
incident and the residents involved are saved, inside that transaction. Arguments: ``sender`` is ``Incident``;
``incident`` the incident; ``actor`` the User who recorded or changed it. Billing connects a receiver that keeps
the ledger's fines in step with the incident's consequence.
"""

from django.dispatch import Signal

pass_returned = Signal()
incident_saved = Signal()
