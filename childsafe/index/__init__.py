"""childsafe.index"""
