"""Training conferences (hội nghị tập huấn): topics, agenda, invitations, attendance, knowledge tests,
item analysis, certificates, reports and training coverage."""
