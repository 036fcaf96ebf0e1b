import os
import os.path as osp, sys
from . import sibling
from .. import parent
from ...pkg.mod import (name1, name2 as alias,
                        name3,)
from __future__ import annotations
from sqlalchemy.orm import *
