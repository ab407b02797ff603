"""business cases and steps (中心业务办理进度), labour contract filings (劳动用工备案)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 23:55:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "business_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_business_case_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_case")),
        sa.UniqueConstraint("city", "serial", name=op.f("uq_business_case_city_serial")),
    )
    with op.batch_alter_table("business_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_business_case_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_business_case_city_person_submitted",
            ["city", "person_id", "submitted_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_business_case_person_id"), ["person_id"], unique=False)

    op.create_table(
        "business_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["business_case.id"],
            name=op.f("fk_business_step_case_id_business_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_step")),
        sa.UniqueConstraint("case_id", "position", name=op.f("uq_business_step_case_id_position")),
    )
    with op.batch_alter_table("business_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_business_step_city"), ["city"], unique=False)

    op.create_table(
        "labour_filing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("employer", sa.String(length=128), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("contract_type", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("filing_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_labour_filing_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labour_filing")),
        sa.UniqueConstraint(
            "person_id",
            "employer",
            "start_date",
            name=op.f("uq_labour_filing_person_id_employer_start_date"),
        ),
    )
    with op.batch_alter_table("labour_filing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_labour_filing_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_labour_filing_city_person_start", ["city", "person_id", "start_date"], unique=False
        )


def downgrade():
    with op.batch_alter_table("labour_filing", schema=None) as batch_op:
        batch_op.drop_index("ix_labour_filing_city_person_start")
        batch_op.drop_index(batch_op.f("ix_labour_filing_city"))

    op.drop_table("labour_filing")
    with op.batch_alter_table("business_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_business_step_city"))

    op.drop_table("business_step")
    with op.batch_alter_table("business_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_business_case_person_id"))
        batch_op.drop_index("ix_business_case_city_person_submitted")
        batch_op.drop_index(batch_op.f("ix_business_case_city"))

    op.drop_table("business_case")
