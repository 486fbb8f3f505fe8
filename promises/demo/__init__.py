"""The demo that `manage.py seed_demo` builds: its people and stories (plain data) and the
photos its participants post (drawn with Pillow). The command reads them; nothing else does."""
