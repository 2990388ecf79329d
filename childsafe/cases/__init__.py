"""childsafe.cases"""
