"""childsafe.live"""
