# just a comment
    # indented comment

#!/usr/bin/env python3
