"""OpenFisca variables: the observation's inputs, then one module per ruleset."""
