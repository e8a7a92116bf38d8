"""Pure clinical and statistical code: no Django imports here."""
