"""Signals residents sends, so higher apps can react without residents importing them.

``pass_returned``: sent by ``residents.services.signouts.pass_return`` once a resident's return from an overnight
pass is recorded, inside that transaction (a receiver's writes commit or roll back with the return; a receiver
with outside effects such as e-mail should defer them with ``transaction.on_commit``).
Arguments: ``sender`` is ``OvernightPass``; ``pass_`` the pass (``returned_at`` set); ``actor`` the Membership
who recorded it. The house setting "test residents returning from a pass" belongs to the drug-test module, which
applies it by connecting a receiver here (residents does not import it).
"""

from django.dispatch import Signal

pass_returned = Signal()
