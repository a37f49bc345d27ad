def upcoming_reviews(): return []
def milestones_due_for_user(*, user): return []
