"""childsafe.service"""
