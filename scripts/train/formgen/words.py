"""Real words for labels, options and typed values: a form vocabulary plus the system dictionary."""
import functools
import os

FORM_WORDS = """
Yes No N/A Other Owner Tenant Vacant Detached Attached Proposed Existing Under Const. Single Multiple
Full Partial None Basement Slab Crawl Space Concrete Frame Brick Stucco Vinyl Wood Metal Asphalt Gravel
Public Private Water Gas Electricity Sewer Septic Well Street Alley Sidewalk Curb Gutter Storm Sash
Condition Quality Good Fair Poor Average Excellent Adequate Inadequate Typical Atypical Urban Suburban Rural
Over Stable Declining Increasing Shortage Balance Oversupply Under Months Fee Simple Leasehold Purchase
Refinance Transaction Assignment Appraisal Inspection Exterior Interior Roof Foundation Walls Floors Trim
Bath Kitchen Garage Carport Driveway Patio Deck Porch Fence Pool Fireplace Woodstove Heating Cooling
Central Individual FWA HWBB Radiant Refrigerator Range Oven Dishwasher Disposal Microwave Washer Dryer
Stairs Drop Scuttle Floor Heated Finished Attic Dampness Settlement Infestation Evidence Sump Pump
Male Female Married Unmarried Separated Employed Self-employed Retired Student Insured Claimant Driver
Passenger Pedestrian Vehicle Injury Damage Police Report Witness Daytime Night Dry Wet Snow Ice Fog
Approved Denied Pending Received Reviewed Signature Date Name Address City State ZIP Phone Email
Policy Number Account Claim Amount Total Subtotal Tax Payment Cash Check Credit Card Monthly Annual
Medical History Allergies Smoking Alcohol Diabetes Asthma Surgery Medication Emergency Contact
""".split()

LABELS = [
    "Property Address", "City", "State", "Zip Code", "Borrower", "Owner of Public Record", "County",
    "Legal Description", "Assessor's Parcel #", "Tax Year", "R.E. Taxes $", "Neighborhood Name", "Map Reference",
    "Census Tract", "Occupant", "Special Assessments $", "HOA $", "Property Rights Appraised", "Assignment Type",
    "Lender/Client", "Address", "Location", "Built-Up", "Growth", "Property Values", "Demand/Supply",
    "Marketing Time", "One-Unit Housing", "Present Land Use %", "Dimensions", "Area", "Shape", "View",
    "Specific Zoning Classification", "Zoning Description", "Zoning Compliance", "Utilities", "Topography",
    "Size", "Density", "FEMA Special Flood Hazard Area", "FEMA Flood Zone", "FEMA Map #", "FEMA Map Date",
    "General Description", "Units", "# of Stories", "Type", "Design (Style)", "Year Built", "Effective Age (Yrs)",
    "Exterior Walls", "Roof Surface", "Gutters & Downspouts", "Window Type", "Storm Sash/Insulated", "Screens",
    "Amenities", "Car Storage", "# of Cars", "Finished area above grade contains", "Rooms", "Bedrooms",
    "Bath(s)", "Additional features", "Date of Birth", "Social Security No.", "Policy Number", "Claim Number",
    "Date of Loss", "Time of Loss", "Insured Name", "Driver's License", "Vehicle Make", "Model", "Year",
    "VIN", "Plate No.", "Phone (Home)", "Phone (Work)", "Employer", "Occupation", "Signature", "Date",
    "Patient Name", "Physician", "Diagnosis", "Insurance Carrier", "Group Number", "Relationship to Insured",
    "Marital Status", "Employment Status", "Data Source(s)", "Project Description", "Project Information",
]

QUESTIONS = [
    "Is the subject property currently offered for sale or has it been offered for sale in the twelve months prior?",
    "Are the utilities and off-site improvements typical for the market area?",
    "Are there any adverse site conditions or external factors?",
    "Is the highest and best use of subject property as improved the present use?",
    "Does the property generally conform to the neighborhood?",
    "Are there any physical deficiencies or adverse conditions that affect the livability?",
    "Was the vehicle towed from the scene?", "Were the police notified?", "Was anyone injured?",
    "Have you been treated for this condition before?", "Do you currently take any medication?",
    "Is the applicant a U.S. citizen?", "Did you analyze the contract for sale?",
    "Is there any financial assistance to be paid by any party on behalf of the borrower?",
]


@functools.lru_cache(maxsize=1)
def _dictionary():
    path = "/usr/share/dict/words"
    if not os.path.exists(path):
        return FORM_WORDS
    words = [w.strip() for w in open(path, encoding="utf-8", errors="ignore")]
    return [w for w in words if w.isascii() and "'" not in w and 2 < len(w) < 12] or FORM_WORDS


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def option_label(rng):
    n = 1 if rng.random() < 0.7 else 2
    return " ".join(_pick(rng, FORM_WORDS) for _ in range(n))


def field_label(rng):
    return _pick(rng, LABELS) if rng.random() < 0.7 else " ".join(
        _pick(rng, _dictionary()).capitalize() for _ in range(int(rng.integers(1, 4))))


def question(rng):
    return _pick(rng, QUESTIONS)


def typed_value(rng):
    r = rng.random()
    if r < 0.25:
        return str(int(rng.integers(0, 100000)))
    if r < 0.35:
        return f"{int(rng.integers(1, 13)):02d}/{int(rng.integers(1, 29)):02d}/{int(rng.integers(1950, 2030))}"
    if r < 0.45:
        return f"${int(rng.integers(100, 999999)):,}"
    return " ".join(_pick(rng, _dictionary() if rng.random() < 0.5 else FORM_WORDS)
                    for _ in range(int(rng.integers(1, 4))))


def sentence(rng):
    return " ".join(_pick(rng, _dictionary()) for _ in range(int(rng.integers(6, 20)))).capitalize() + "."
