"""childsafe.reports"""
