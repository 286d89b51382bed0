"""Voucher pages: public schemes and catalogue; the holder's, the provider's and the officer's pages."""
