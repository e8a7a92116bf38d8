"""What every app uses and no app owns: the action error, the API's error shape, form-error
helpers, token digests and the one outbound mail path.

Nothing here knows about patients, consent or any model: `lib` sits beside `core` at the
bottom of the layers (docs/development.md) and may be imported by every app.
"""
