"""Chat models: their output in both of Wiro's formats, and conversations over sessions."""
