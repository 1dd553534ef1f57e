"""Signals residents sends, so higher apps can react without residents importing them.

``pass_returned``: sent by ``residents.program.services.signouts.pass_return`` once a resident's return from an
overnight pass is recorded, inside that transaction (a receiver's writes commit or roll back with the return; a receiver
with outside effects such as e-mail should defer them with ``transaction.on_commit``).
Arguments: ``sender`` is ``OvernightPass``; ``pass_`` the pass (``returned_at`` set); ``actor`` the Membership
who recorded it. The house setting "test residents returning from a pass" belongs to the drug-test module, which
applies it by connecting a receiver here (residents does not import it).

``incident_saved``: sent by ``residents.conduct.services.incidents.incident_record`` and ``incident_update`` once the
incident and the residents involved are saved, inside that transaction. Arguments: ``sender`` is ``Incident``;
``incident`` the incident; ``actor`` the Membership who recorded or changed it. Billing connects a receiver that keeps
the ledger's fines in step with the incident's consequence.

Stays: every change of who sleeps where is announced by the service that makes it (``residents.core.services.stays``),
inside its transaction, once the stay and its bed assignments are written. A receiver's writes commit or roll back with
the change; a receiver that refuses (raises) refuses the change. The service has already locked every house the stay
has had a bed in, before the stay (house before stay, the lock order of chore writes), so a receiver may lock those
again but no other house. Each is sent with ``sender`` ``Stay``, ``stay`` the stay as saved and ``actor`` the acting
Membership.

``stay_admitted``: a new stay and its first bed assignment, from ``stay.move_in``. Billing copies the house's rent
terms and charges the deposit; the program puts the stay in the lowest phase. ``billed_from`` (None for an ordinary
admission) is the first night Hearth bills a resident carried over from before Hearth: no rent before it, no deposit.

``stay_transferred``: the stay moved to another bed from night ``on`` (``assignment`` the new bed assignment,
``from_house`` the house slept in before, which may be the same house). Chores take the resident out of the old house's
rotation.

``stay_discharged``: the stay ended; ``on`` (``stay.move_out``) is the first night no longer in the house. Billing
brings the stay's rent up to date; chores take the resident out of the rotation.

``stay_move_out_planned``: an open stay's planned move-out (``stay.expected_move_out``) was set, moved or cleared;
``previous`` is the date it had before (None when there was none). Vacancies records or calls off the bed's opening.

``application_moved``: an application changed status (``residents.core.services.applications``:
``application_move``, ``application_admit``), or is being erased (``application_erase``, sent before what hangs on it
is removed), inside that transaction. Arguments: ``sender`` is ``Application``; ``application`` the application as
saved; ``erased`` True when it is being erased. Vacancies passes on the bed offers of an applicant who left the
waitlist.
"""

from django.dispatch import Signal

pass_returned = Signal()
incident_saved = Signal()
stay_admitted = Signal()
stay_transferred = Signal()
stay_discharged = Signal()
stay_move_out_planned = Signal()
application_moved = Signal()
