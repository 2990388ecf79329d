"""childsafe.conversation"""
