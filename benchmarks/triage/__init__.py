"""A triage simulation: does following the queue serve people better than the gut?"""
