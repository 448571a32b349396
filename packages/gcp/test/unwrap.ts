/** The value of an Ok result; an Err is thrown, so the test fails with the error itself. */
export const unwrap = <T>(result: {
  isOk(): boolean;
  _unsafeUnwrap(): T;
  _unsafeUnwrapErr(): unknown;
}): T => {
  if (!result.isOk()) throw result._unsafeUnwrapErr();
  return result._unsafeUnwrap();
};
