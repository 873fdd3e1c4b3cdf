# A malformed line in the middle of a run: skipped with a message naming
# input and line, the other pages go on, and run_end says incomplete.
os-normalize
