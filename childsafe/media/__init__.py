"""childsafe.media"""
