"""contribution: drop ix_contribution_city, which ix_contribution_city_person_type_period begins with

Every query by city alone can use the four-column index (its first column is the city), so
the one-column index answered nothing the other could not, yet each row written to the
largest table (bulk imports, seeding, payments posting months) paid for keeping it: about
0.5 s of every 100,000 rows imported on PostgreSQL (issue 11, B5).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 18:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_contribution_city", table_name="contribution")


def downgrade():
    op.create_index("ix_contribution_city", "contribution", ["city"])
