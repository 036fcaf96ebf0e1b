# À¯ overlong
