"""The promises pages, one module per sub-domain; promises/urls.py maps them."""
