"""childsafe.policy"""
