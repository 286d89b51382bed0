"""Pages of the programmes module (public, applicant, officer, reviewer)."""
