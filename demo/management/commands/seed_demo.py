from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seed import DEMO_PASSWORD, seed_all


class Command(BaseCommand):
    help = "Creates the demo organizations, houses, people and history. Safe to run again: it changes nothing."

    def handle(self, *args, **options):
        with transaction.atomic():
            organizations = seed_all()
        self.stdout.write(self.style.SUCCESS("Demo data ready: " + ", ".join(o.name for o in organizations)))
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}):")
        for email, role in [
            ("operator@example.com", "operator, Second Wind Recovery Homes"),
            ("manager@example.com", "manager of Maple House and Willow House"),
            ("resident@example.com", "resident of Maple House"),
            ("referrer@example.com", "referral partner, Hope Treatment Center (open beds and referrals)"),
            ("operator@other.example.com", "operator, New Dawn Living"),
            ("operator@peer.example.com", "operator, Commons Peer Houses (three peer-run houses, one chapter)"),
            ("president@peer.example.com", "president of Oxford on Elm (a peer-run house)"),
            ("secretary@peer.example.com", "secretary of Oxford on Elm"),
            ("treasurer@peer.example.com", "treasurer of Oxford on Elm"),
            ("comptroller@peer.example.com", "comptroller of Oxford on Elm"),
            ("coordinator@peer.example.com", "coordinator of Oxford on Elm"),
            ("hsr@peer.example.com", "house services representative of Oxford on Elm"),
            ("member@peer.example.com", "member of Oxford on Elm, behind on shares"),
        ]:
            self.stdout.write(f"  {email:<30} {role}")
        self.stdout.write("Public vacancy pages (no login): /v/second-wind/ and the feed /api/public/v1/vacancies/")
