"""childsafe.pii"""
