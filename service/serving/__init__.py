"""What one worker serves: the active model, the effective policy, and the judgement."""
