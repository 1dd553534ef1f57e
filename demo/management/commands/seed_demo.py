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
        ]:
            self.stdout.write(f"  {email:<28} {role}")
        self.stdout.write("Public vacancy pages (no login): /v/second-wind/ and the feed /api/public/v1/vacancies/")
