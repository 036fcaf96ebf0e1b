x = f"{value!x}"
