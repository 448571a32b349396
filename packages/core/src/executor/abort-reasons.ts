// Abort reasons shared by every step: building a DOMException per abort
// captures a stack, which costs more than the rest of a step's bookkeeping.

/** Aborts a step's signal at its deadline. */
export const stepDeadlinePassed = new DOMException(
  'The step did not finish before its deadline.',
  'TimeoutError',
);
