"""childsafe.nudges"""
