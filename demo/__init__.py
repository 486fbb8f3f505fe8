"""The demo that `manage.py seed_demo` builds: its people and stories (plain data), the photos
its participants post (drawn with Pillow), and the seeder that plays the stories through the
services of accounts, promises and discussions. Nothing else imports it."""
