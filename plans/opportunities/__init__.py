"""Opportunities, their plans, qualification, stages and the detection rules."""
