from django.core.management.base import BaseCommand

from shuangchuang.core.demo import DEMO_PASSWORD, DemoContext, demo_modules


class Command(BaseCommand):
    help = "Load the deterministic demo city (every module's demo data) and print the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=20000, help="Enterprises in the synthetic city.")
        parser.add_argument("--seed", type=int, default=2016, help="Random seed; the same seed gives the same city.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the city is already loaded.")
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo log-ins.")

    def handle(self, *args, enterprises, seed, if_empty, print_logins, **options):
        context = DemoContext(seed=seed, enterprises=enterprises, stdout=self.stdout)
        modules = demo_modules()
        if print_logins or (if_empty and any(getattr(m, "is_loaded", lambda: False)() for m in modules)):
            if not print_logins:
                self.stdout.write("The demo city is already loaded; keeping the existing data.")
        else:
            for module in modules:
                module.load(context)
        self.print_logins(modules)

    def print_logins(self, modules):
        rows = []
        for module in modules:
            rows.extend(getattr(module, "LOGINS", []))
        self.stdout.write("\nDemo log-ins (password for all: %s)" % DEMO_PASSWORD)
        for username, role in rows:
            self.stdout.write(f"  {username:<22} {role}")
