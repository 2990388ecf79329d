"""childsafe.banks"""
